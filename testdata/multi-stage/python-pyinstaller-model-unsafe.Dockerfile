# The guide's model step: a script dslim cannot follow may write anywhere.
FROM python:3.9-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN python compile_model.py
RUN pip install pyinstaller
RUN pyinstaller --onefile inference.py
ENTRYPOINT ["/app/dist/inference"]
