FROM debian
run <<EOF   
  set -e  
	apt-get   update &&   \
      apt-get install -y curl   



EOF
COPY <<-END /etc/conf  
	key = value   
		indented	
	END
RUN cat <<A && cat <<'B'
 a  
A
  b \
B
