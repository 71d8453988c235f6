  from alpine
