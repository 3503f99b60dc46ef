package dev.ferry.demo.internal;

/**
 * A later delivery of the demo source, applied in place.
 *
 * @param name the delivery's name, recorded in the source's {@code deliveries} table
 * @param changed existing cultivars whose imported values change
 * @param added new cultivars
 */
public record Delivery(String name, int changed, int added) {

}
