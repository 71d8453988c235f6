FROM debian
CMD ["a", \
  "b",\
	"c"]
ENTRYPOINT ["a \
   b"]
