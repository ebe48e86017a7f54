package org.l1net.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CsvRowParser: what a line may hold, and what each refusal says. */
class CsvRowParserTest {

    @Test
    void parsesFeaturesAndTheLabelWhereverItIs() {
        double[] x = new double[3];
        assertEquals(2, new CsvRowParser(4, 3, 0).parse(" 1.5 ,-2e-3,+4,  2 ", x));
        assertArrayEquals(new double[] {1.5, -0.002, 4.0}, x);

        assertEquals(1, new CsvRowParser(4, 0, 3).parse("1,0.25,-0,7E1", x));
        assertArrayEquals(new double[] {0.25, -0.0, 70.0}, x);

        assertEquals(3, new CsvRowParser(4, 1, 4).parse("9,3.0,8,.5", x), "3.0 is the whole number 3");
        assertArrayEquals(new double[] {9, 8, 0.5}, x);
    }

    @Test
    void withoutALabelColumnEveryValueIsAFeature() {
        CsvRowParser parser = new CsvRowParser(3, -1, 0);
        assertEquals(3, parser.features());
        double[] x = new double[3];
        assertEquals(-1, parser.parse("1,2,3", x));
        assertArrayEquals(new double[] {1, 2, 3}, x);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1,2        | expected 3 comma-separated values, found 2",
            "1,2,3,4    | expected 3 comma-separated values, found 4",
            "1,2,3,     | expected 3 comma-separated values, found 4",
            "1;2;3      | expected 3 comma-separated values, found 1",
            "1,,2       | column 2 is empty",
            "' ,1,2'    | column 1 is empty",
            "abc,1,2    | column 1 is 'abc', not a number",
            "1,0x10,2   | column 2 is '0x10', not a number",
            "1,1d,2     | column 2 is '1d', not a number",
            "1,2f,2     | column 2 is '2f', not a number",
            "1,1.2.3,2  | column 2 is '1.2.3', not a number",
            "1,--1,2    | column 2 is '--1', not a number",
            "1,e5,2     | column 2 is 'e5', not a number",
            "1,.,2      | column 2 is '.', not a number",
            "1,1e999,2  | column 2 is '1e999', which overflows a double",
            "NaN,1,2    | column 1 is 'NaN': NaN and infinite values are not allowed",
            "nan,1,2    | column 1 is 'nan': NaN and infinite values are not allowed",
            "1,Infinity,2 | column 2 is 'Infinity': NaN and infinite values are not allowed",
            "1,-Infinity,2 | column 2 is '-Infinity': NaN and infinite values are not allowed",
            "1,+inf,2   | column 2 is '+inf': NaN and infinite values are not allowed",
            "1,INF,2    | column 2 is 'INF': NaN and infinite values are not allowed",
            "1,2,1.5    | label '1.5' in column 3 is not a class index (a whole number 0..3)",
            "1,2,-1     | label '-1' in column 3 is not a class index (a whole number 0..3)",
            "1,2,4      | label 4 in column 3 is outside 0..3",
            "1,2,1e10   | label '1e10' in column 3 is not a class index",
            "1,2,NaN    | column 3 is 'NaN': NaN and infinite values are not allowed",
            "1,2,x      | label 'x' in column 3 is a class name, but the labels of this data are numbers (class indices)"})
    void refusesWithAMessageThatSaysWhatIsWrong(String line, String message) {
        CsvRowParser parser = new CsvRowParser(3, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.parse(line, new double[2]));
        assertTrue(e.getMessage().startsWith(message), "for '" + line + "': " + e.getMessage());
    }

    @Test
    void labelsAreUnboundedUntilTheClassCountIsKnown() {
        CsvRowParser parser = new CsvRowParser(2, 1, 0);
        assertEquals(1000, parser.parse("0.5,1000", new double[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.parse("0.5,2.5", new double[1]));
        assertTrue(e.getMessage().contains("(a whole number 0..K-1)"), e.getMessage());
    }

    @Test
    void largestAndSmallestFiniteNumbersAreAccepted() {
        double[] x = new double[2];
        new CsvRowParser(3, 2, 2).parse("1.7976931348623157E308,4.9e-324,1", x);
        assertArrayEquals(new double[] {Double.MAX_VALUE, Double.MIN_VALUE}, x);
    }

    @Test
    void classNamesAreLookedUpByTheirTrimmedText() {
        CsvRowParser parser = new CsvRowParser(3, 2, 0, List.of("1", "cat", "dog"), null);
        double[] x = new double[2];
        assertEquals(2, parser.parse("0.5,-1, dog ", x));
        assertArrayEquals(new double[] {0.5, -1}, x);
        assertEquals(0, parser.parse("0.5,-1,1", x), "with class names a number is a name too");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> parser.parse("0.5,-1,emu", x));
        assertEquals("label 'emu' in column 3 is not one of the 3 classes [1, cat, dog]", unknown.getMessage());
        assertFalse(unknown instanceof MixedLabelsException, "an unknown name is a bad row, which --on-bad-rows skip may skip");
        assertEquals("column 3 is empty",
                assertThrows(IllegalArgumentException.class, () -> parser.parse("0.5,-1, ", x)).getMessage());
        assertEquals("column 1 is 'abc', not a number",
                assertThrows(IllegalArgumentException.class, () -> parser.parse("abc,-1,cat", x)).getMessage());
    }

    @Test
    void aLabelOfTheOtherKindThanTheFirstIsMixedLabels() {
        CsvRowParser indices = new CsvRowParser(3, 2, 0, null, "0 on line 2 of t.csv");
        MixedLabelsException name = assertThrows(MixedLabelsException.class, () -> indices.parse("1,2,cat", new double[2]));
        assertEquals("label 'cat' in column 3 is a class name, but the first label, 0 on line 2 of t.csv, is a number "
                + "(a class index); CSV labels are all class indices or all class names", name.getMessage());

        CsvRowParser names = new CsvRowParser(3, 0, 0, null, "'cat' on line 1 of t.csv");
        double[] x = new double[2];
        assertEquals("dog", names.parseName(" dog ,1.5,2", x));
        assertArrayEquals(new double[] {1.5, 2}, x);
        MixedLabelsException number = assertThrows(MixedLabelsException.class, () -> names.parseName("3,1,2", x));
        assertEquals("label '3' in column 1 is a number, but the first label, 'cat' on line 1 of t.csv, is a class name; "
                + "CSV labels are all class indices or all class names", number.getMessage());
        assertEquals("column 1 is empty", assertThrows(IllegalArgumentException.class,
                () -> names.parseName(",1,2", x)).getMessage(), "an empty label is a bad row of either kind");
        assertEquals("column 3 is 'NaN': NaN and infinite values are not allowed", assertThrows(
                IllegalArgumentException.class, () -> names.parseName("dog,1,NaN", x)).getMessage());
    }

    @ParameterizedTest
    @CsvSource({"cat, true", "E, true", "1d, true", "10-20, true", "1.2.3, true", "info, true", "Iris setosa, true",
            "3, false", "-1, false", "+4, false", "1.5, false", "2e3, false", "1e999, false", "NaN, false", "-inf, false",
            "Infinity, false", "'  ', false"})
    void aClassNameIsALabelThatIsNotANumber(String label, boolean name) {
        assertEquals(name, CsvRowParser.isName(label), label);
    }

    @Test
    void headerDetection() {
        assertTrue(CsvRowParser.looksLikeHeader("x0,x1,label"));
        assertTrue(CsvRowParser.looksLikeHeader("NaN,inf,label"), "no value is a number");
        assertFalse(CsvRowParser.looksLikeHeader("1, 2 ,-3e2"));
        assertFalse(CsvRowParser.looksLikeHeader("0.5,NaN,1"), "a data row with a NaN is a bad row, not a header");
        assertFalse(CsvRowParser.looksLikeHeader("x0,x1,3"), "a number makes it data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0,-1", "1,1", "3,5", "1,0"})
    void refusesImpossibleLayouts(String layout) {
        String[] parts = layout.split(",");
        assertThrows(IllegalArgumentException.class,
                () -> new CsvRowParser(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), 0));
    }

    @Test
    void survivesJavaSerializationAsSparkShipsIt() throws Exception {
        CsvRowParser copy = roundTrip(new CsvRowParser(3, 2, 4));
        double[] x = new double[2];
        assertEquals(3, copy.parse("1,2,3", x));
        assertThrows(IllegalArgumentException.class, () -> copy.parse("1,2,4", x), "K travels with the parser");
        assertEquals(1, roundTrip(new CsvRowParser(3, 2, 0, List.of("cat", "dog"), null)).parse("1,2,dog", x),
                "the class names travel with the parser");
    }

    private static CsvRowParser roundTrip(CsvRowParser parser) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(parser);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (CsvRowParser) in.readObject();
        }
    }
}
