FROM debian
FOO   bar  \
  baz
