FROM debian
# the end
