package org.matcalc.examples;

import java.util.List;
import java.util.Optional;

/** The registry of runnable examples, in the order {@code matcalc example} lists them. */
public final class Examples {
    private Examples() {
    }

    public static List<Example> all() {
        return List.of(new BabylonianExample(), new GraphExample(), new ForwardOverReverseExample(),
                new FdErrorExample(), new NewtonSqrt2Example(), new CriticalPointsExample(), new HessianSaddleExample(),
                new EigenDerivativeExample(), new OdeSensitivityExample(), new StochasticGradientExample(),
                new BrachistochroneExample());
    }

    public static Optional<Example> byName(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
