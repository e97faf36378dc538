package io.retouch.api.auth;

import io.retouch.api.limits.KeyRateLimiter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Fills {@code @Caller AuthScope} parameters, refusing the request when the caller may not or its
 * key is over its rate.
 */
@Component
public class AuthScopeResolver implements HandlerMethodArgumentResolver {

  private final DatasetAuthenticator authenticator;
  private final KeyRateLimiter limiter;

  public AuthScopeResolver(DatasetAuthenticator authenticator, KeyRateLimiter limiter) {
    this.authenticator = authenticator;
    this.limiter = limiter;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.hasParameterAnnotation(Caller.class)
        && parameter.getParameterType() == AuthScope.class;
  }

  @Override
  public AuthScope resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest request,
      WebDataBinderFactory binderFactory) {
    var credentials =
        new DatasetAuthenticator.Credentials(
            request.getHeader("Authorization"),
            request.getHeader("x-api-key"),
            request.getHeader("TR-Dataset"),
            request.getHeader("TR-Organization"));
    AuthScope scope =
        authenticator.authenticate(
            credentials, parameter.getParameterAnnotation(Caller.class).value());
    // a refused key never spends, a known one always does: its rate counts every request
    limiter.spend(scope.apiKeyId(), request.getNativeResponse(HttpServletResponse.class));
    return scope;
  }
}
