package org.l1net.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Labels that are class names, the same in every format: how many there may be, the order that makes
 * them class indices, the lookup from name to index, and the error for a name that is not a class.
 */
final class ClassNames {
    /** More distinct labels than this is not a classification problem. */
    static final int MAX = 10_000;

    /** Names shown in the error for an unknown label; a model may have thousands. */
    private static final int SHOWN = 20;

    private ClassNames() {
    }

    /**
     * The distinct names of a label column as classes: sorted in Java String order, so that class c is
     * the same name whatever the format, the partitioning or the order the rows came in.
     *
     * @throws InputException when there are more than {@link #MAX}
     */
    static List<String> of(Collection<String> distinct, String path, String labelName) {
        if (distinct.size() > MAX) {
            throw new InputException(path + ": label column '" + labelName + "' has more than " + MAX
                    + " distinct values; l1net trains classifiers");
        }
        List<String> names = new ArrayList<>(distinct);
        names.sort(Comparator.naturalOrder());
        return List.copyOf(names);
    }

    /** Name to class index; null for null (labels that are class indices). */
    static HashMap<String, Integer> index(List<String> classNames) {
        if (classNames == null) {
            return null;
        }
        HashMap<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            index.put(classNames.get(c), c);
        }
        return index;
    }

    /** "is not one of the K classes [a, b, ...]", the first names in class order. */
    static String notOneOf(Map<String, Integer> index) {
        StringBuilder sb = new StringBuilder("is not one of the ").append(index.size()).append(" classes [");
        int shown = 0;
        for (String name : new TreeSet<>(index.keySet())) {
            if (shown == SHOWN) {
                sb.append(", ...");
                break;
            }
            sb.append(shown++ == 0 ? "" : ", ").append(name);
        }
        return sb.append(']').toString();
    }
}
