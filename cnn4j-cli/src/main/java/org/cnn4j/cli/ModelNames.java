package org.cnn4j.cli;

import java.util.Iterator;
import org.cnn4j.model.Zoo;

/** The zoo's model names, for --model's help text. */
final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Zoo.names().iterator();
    }
}
