package io.retouch.db.auth;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link Role} as the lower-case names the schema's CHECK constraint lists. */
@Converter(autoApply = true)
class RoleConverter implements AttributeConverter<Role, String> {

  @Override
  public String convertToDatabaseColumn(Role role) {
    return role == null ? null : role.wireName();
  }

  @Override
  public Role convertToEntityAttribute(String value) {
    return value == null ? null : Role.fromWireName(value);
  }
}
