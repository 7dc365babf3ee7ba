package org.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" backslash \\ newline \n tab \t bell \u0007 é 字 😀");
        m.put("i", 42);
        m.put("neg", -7L);
        m.put("d", 1e-5);
        m.put("whole", 2.0);
        m.put("b", true);
        m.put("n", null);
        m.put("ints", new int[] {1, -2, 3});
        m.put("list", List.of(List.of(), Map.of()));
        String text = Json.write(m);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(text);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()), "key order is kept");
        assertEquals(m.get("s"), back.get("s"));
        assertEquals(42L, back.get("i"));
        assertEquals(-7L, back.get("neg"));
        assertEquals(1e-5, back.get("d"));
        assertEquals(2.0, back.get("whole"), "a whole double stays a double");
        assertEquals(true, back.get("b"));
        assertTrue(back.containsKey("n"));
        assertEquals(List.of(1L, -2L, 3L), back.get("ints"));
        assertEquals(List.of(List.of(), Map.of()), back.get("list"));
    }

    @Test
    void parsesStandardSyntax() {
        assertEquals(List.of(1.5, -0.25, 1e10, 0L, "a/b\u00e9"),
                Json.parse(" [ 1.5 , -2.5e-1, 1E+10, 0, \"a\\/b\\u00E9\" ] "));
        assertEquals(Map.of("a", Map.of("b", List.of(true, false))), Json.parse("{\"a\":{\"b\":[true,false]}}"));
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
    }

    @Test
    void rejectsMalformedInputWithItsOffset() {
        for (String bad : List.of("", "[1,]", "{\"a\" 1}", "{\"a\":1,\"a\":2}", "[01]", "[1.]", "-", "tru",
                "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12\"", "[1] x", "{1:2}", "NaN", "[1e999]",
                "[99999999999999999999]", "'a'")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at character "), e.getMessage());
        }
    }

    @Test
    void hostileInputFailsCleanly() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(deep)).getMessage()
                .contains("nested deeper than 64"));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        char[] digits = new char[10_000];
        Arrays.fill(digits, '1');
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(new String(digits))).getMessage()
                .contains("number longer than"));
        String many = "[" + "0,".repeat(Json.MAX_VALUES) + "0]";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(many)).getMessage()
                .contains("more than " + Json.MAX_VALUES + " values"));
    }

    @Test
    void intArraysAreWrittenAsArrays() {
        assertEquals("{\"k\":[3,3]}", Json.write(Map.of("k", new int[] {3, 3})));
        assertArrayEquals(new Object[] {3L, 3L}, ((List<?>) Json.parse("[3,3]")).toArray());
    }
}
