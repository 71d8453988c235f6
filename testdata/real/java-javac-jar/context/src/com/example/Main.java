package com.example;

import java.util.Arrays;
import java.util.stream.Collectors;

public class Main {
    public static void main(String[] args) {
        String[] words = args.length > 0 ? args : new String[] {"delta", "alpha", "charlie"};
        String sorted = Arrays.stream(words).sorted().collect(Collectors.joining(", "));
        System.out.println("sorted: " + sorted);
        System.out.println("longest: " + Text.longest(words));
    }
}
