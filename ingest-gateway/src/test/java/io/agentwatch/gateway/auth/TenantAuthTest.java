package io.agentwatch.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.service.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantAuthTest {

    @Test
    void shouldLetEveryoneInWhenNoTokenIsConfigured() {
        TenantAuth auth = TenantAuth.of(Optional.empty(), Optional.empty());
        assertThat(auth.enabled()).isFalse();
        assertThat(auth.authenticate(null)).contains(TenantAuth.Caller.ANONYMOUS);
    }

    @Test
    void shouldRequireTheSharedTokenAndGiveItNoTenant() {
        TenantAuth auth = TenantAuth.of(Optional.of("s3cret"), Optional.empty());
        assertThat(auth.authenticate(null)).isEmpty();
        assertThat(auth.authenticate("Bearer wrong")).isEmpty();
        assertThat(auth.authenticate("Basic s3cret")).isEmpty();
        assertThat(auth.authenticate("Bearer s3cret")).hasValueSatisfying(c -> assertThat(c.tenant()).isEmpty());
        assertThat(auth.authenticate("bearer s3cret")).isPresent();
    }

    @Test
    void shouldMapEachTokenOfTheFileToItsTenant(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), """
                # token tenant
                tok-acme-1   acme
                tok-acme-2=  acme
                tok-globex   globex
                """);
        TenantAuth auth = TenantAuth.of(Optional.of("admin"), Optional.of(file));
        assertThat(auth.authenticate("Bearer tok-acme-1")).hasValueSatisfying(c -> assertThat(c.tenant()).contains("acme"));
        assertThat(auth.authenticate("Bearer tok-acme-2=")).hasValueSatisfying(c -> assertThat(c.tenant()).contains("acme"));
        assertThat(auth.authenticate("Bearer tok-globex")).hasValueSatisfying(c -> assertThat(c.tenant()).contains("globex"));
        assertThat(auth.authenticate("Bearer admin")).hasValueSatisfying(c -> assertThat(c.tenant()).isEmpty());
        assertThat(auth.authenticate("Bearer tok-unknown")).isEmpty();
    }

    @Test
    void shouldNameTheFileAndLineOfABadEntryButNeverTheToken(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "tok-1 acme\nsecret-token-without-tenant\n");
        assertThatThrownBy(() -> TenantAuth.of(Optional.empty(), Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2")
                .hasMessageNotContaining("secret-token-without-tenant");
    }

    @Test
    void shouldLetATenantTokenWriteOnlyItsOwnTenant() {
        TenantAuth.Caller acme = TenantAuth.Caller.ofTenant("acme");
        assertThat(acme.resolveTenant(null)).isEqualTo("acme");
        assertThat(acme.tenantViolation("acme")).isNull();
        assertThat(acme.tenantViolation("globex")).contains("'acme'").contains("'globex'");
        assertThat(TenantAuth.Caller.SHARED.resolveTenant("globex")).isEqualTo("globex");
        assertThat(TenantAuth.Caller.SHARED.tenantViolation("globex")).isNull();
    }
}
