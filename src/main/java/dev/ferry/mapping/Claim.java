package dev.ferry.mapping;

import java.time.Instant;

/**
 * A reviewer's hold on an open mapping item: who opened it and until when it is theirs,
 * so that another reviewer walking the same queue is given another item. A claim is a
 * courtesy, not a lock: a decision is still checked against the item's version.
 *
 * @param oldKey the old record's key
 * @param holder the reviewer holding it
 * @param expiresAt when it ends unless they decide or move on first
 * @param mine whether the current user holds it
 */
public record Claim(String oldKey, String holder, Instant expiresAt, boolean mine) {
}
