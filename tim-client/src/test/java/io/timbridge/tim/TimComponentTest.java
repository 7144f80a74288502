package io.timbridge.tim;

import io.timbridge.tim.TimStub.Answer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimComponentTest extends CamelTestSupport {
    private static TimStub stub;

    @BeforeAll
    static void startStub() throws Exception {
        stub = new TimStub();
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("timClient", new TimClient(TimClientConfig.from(stub.clientProperties())));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:import-members").routeId("import-members").to("tim:group_open_http_svc/import_group_member");
            }
        };
    }

    @Test
    void bodyGoesToTheApiAndTheAnswerComesBackAsAMapWithHeaders() throws Exception {
        stub.answer(Answer.json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\","
                + "\"MemberList\":[{\"Member_Account\":\"alice\",\"Result\":1},{\"Member_Account\":\"bob\",\"Result\":0}]}"));

        Exchange out = template.request("direct:import-members", e -> e.getMessage().setBody(
                Map.of("GroupId", "g1", "MemberList", List.of(Map.of("Member_Account", "alice"), Map.of("Member_Account", "bob")))));

        assertThat(out.getException()).isNull();
        assertThat(stub.requests().get(stub.requests().size() - 1).path()).isEqualTo("/v4/group_open_http_svc/import_group_member");
        assertThat(out.getMessage().getBody()).isInstanceOf(Map.class);
        assertThat(out.getMessage().getBody(Map.class)).containsEntry("ActionStatus", "OK");
        assertThat(out.getMessage().getHeader(TimConstants.ERROR_CODE)).isEqualTo(0);
        assertThat(out.getMessage().getHeader(TimConstants.ACTION_STATUS)).isEqualTo("OK");
        assertThat(out.getMessage().getHeader(TimConstants.API)).isEqualTo("group_open_http_svc/import_group_member");
        assertThat(out.getMessage().getHeader(TimConstants.FAILED_ITEMS, List.class))
                .containsExactly(new TimItemFailure("bob", TimErrors.NO_CODE, "Result 0: member not added"));
    }

    @Test
    void envelopeErrorFailsTheExchangeWithAClassifiedTimException() {
        stub.answer(Answer.error(10010, "group not exist"));

        Exchange out = template.request("direct:import-members", e -> e.getMessage().setBody("{\"GroupId\":\"gone\"}"));

        assertThat(out.getException()).isInstanceOfSatisfying(TimException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(10010);
            assertThat(e.classification()).isEqualTo(TimErrorClass.PERMANENT);
            assertThat(e.getMessage()).contains("group_open_http_svc/import_group_member", "10010");
        });
    }

    @Test
    void unknownApiPathIsRefusedWhenTheEndpointIsCreated() {
        assertThatThrownBy(() -> context.getEndpoint("tim:openim/no_such_command"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Unknown TIM API 'openim/no_such_command'")
                .hasMessageContaining("openim/importmsg");
    }

    @Test
    void yamlRouteReadsLikeTheApiAndSeesFailedItemsInSimpleExpressions() throws Exception {
        String yaml = """
                - route:
                    id: yaml-multiaccount-import
                    from:
                      uri: direct:yaml-import
                      steps:
                        - to:
                            uri: tim:im_open_login_svc/multiaccount_import
                        - setBody:
                            expression:
                              simple:
                                expression: "${header.TimFailedItems.size} failed, first ${header.TimFailedItems[0].key}, code ${header.TimErrorCode}"
                """;
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("yaml-import.camel.yaml", yaml));
        stub.answer(Answer.json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[\"u2\"]}"));

        String result = template.requestBody("direct:yaml-import", Map.of("Accounts", List.of("u1", "u2")), String.class);

        assertThat(result).isEqualTo("1 failed, first u2, code 0");
    }

    @Test
    void withoutAClientBeanTheComponentBuildsOneFromTimProperties() throws Exception {
        Properties props = stub.clientProperties();
        props.setProperty("tim.secret-key", "{{env:TIMBRIDGE_TEST_NO_SUCH_VAR:" + TimStub.KEY + "}}");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setInitialProperties(props);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:check").to("tim:im_open_login_svc/account_check");
                }
            });
            camel.start();

            Object code = camel.createProducerTemplate()
                    .request("direct:check", e -> e.getMessage().setBody("{}"))
                    .getMessage().getHeader(TimConstants.ERROR_CODE);

            assertThat(code).isEqualTo(0);
            TimStub.Request request = stub.requests().get(stub.requests().size() - 1);
            assertThat(UserSig.verify(request.query().get("usersig"), TimStub.APP, TimStub.ADMIN, TimStub.KEY,
                    System.currentTimeMillis() / 1000)).isEqualTo(UserSig.Verdict.VALID);
        }
    }

    @Test
    void withoutAClientOrTimPropertiesTheRouteFailsToStartNamingWhatIsMissing() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:check").to("tim:im_open_login_svc/account_check");
                }
            });

            assertThatThrownBy(camel::start).hasStackTraceContaining("tim: needs a TimClient")
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .rootCause().hasMessageContaining("tim.sdk-app-id");
        }
    }
}
