package dev.ferry.plan.spec;

import java.math.BigDecimal;

/**
 * What a measured value must be: within {@code min} and {@code max} (either may be
 * {@code null}), or equal to {@code equals}. {@code equals} keeps the text as written, so
 * it may be a number or a word such as {@code UP}; the validator ensures {@code equals}
 * is never combined with {@code min} or {@code max}.
 */
public record Bounds(BigDecimal min, BigDecimal max, String equals) {

}
