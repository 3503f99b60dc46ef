package dev.ferry.window;

import java.time.Instant;

/**
 * A plan's apply window now.
 *
 * @param text the window in words
 * @param open whether applies may start now
 * @param closes when the open window closes, else null
 * @param opens when it opens next, else null (also when no window opens within a year)
 * @param at when it closes (open) or opens (closed) next, in the window's zone, in words;
 * null when it never opens
 * @param in how long until then, in words ({@code 3 h 05 min})
 */
public record WindowView(String text, boolean open, Instant closes, Instant opens, String at, String in) {
}
