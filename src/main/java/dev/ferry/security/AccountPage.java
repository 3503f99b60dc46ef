package dev.ferry.security;

import java.util.List;

/**
 * One keyset page of accounts, ordered by user name; {@code next} is the cursor of the
 * following page or {@code null} on the last one.
 */
public record AccountPage(List<AccountView> items, String next) {

}
