FROM python:3.12
RUN pip freeze > /req.txt && pip list && pipx install black
