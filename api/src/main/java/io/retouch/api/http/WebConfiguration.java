package io.retouch.api.http;

import io.retouch.api.auth.AuthScopeResolver;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

  private final AuthScopeResolver authScopeResolver;

  public WebConfiguration(AuthScopeResolver authScopeResolver) {
    this.authScopeResolver = authScopeResolver;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(authScopeResolver);
  }
}
