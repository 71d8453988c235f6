


FROM debian



RUN a
   
	
# c


RUN b


  
