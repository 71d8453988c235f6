double eval(const char *op, double a, double b, int *ok);
