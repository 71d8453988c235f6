FROM debian
# the end   