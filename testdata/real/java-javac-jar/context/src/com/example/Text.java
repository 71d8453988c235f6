package com.example;

final class Text {
    private Text() {}

    static String longest(String[] words) {
        String best = "";
        for (String w : words) {
            if (w.length() > best.length()) {
                best = w;
            }
        }
        return best;
    }
}
