package io.weft.examples; public class Tour { public static void main(String[] a) { System.out.println("tour"); } }
