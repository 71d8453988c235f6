unsigned long long fib(unsigned n);
