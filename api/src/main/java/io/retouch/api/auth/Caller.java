package io.retouch.api.auth;

import io.retouch.db.auth.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link AuthScope} parameter of a handler and the least role it needs (Trieve: owner >
 * admin > read).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Caller {
  Role value();
}
