package io.retouch.api.auth;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets controllers take the caller's {@link AuthScope} as a {@code @Caller} parameter. */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration implements WebMvcConfigurer {

  private final AuthScopeResolver authScopeResolver;

  public AuthConfiguration(AuthScopeResolver authScopeResolver) {
    this.authScopeResolver = authScopeResolver;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(authScopeResolver);
  }
}
