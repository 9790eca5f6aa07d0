using System.Text.Json.Nodes;

namespace Deployment.Tests;

public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => ["staging", "production"];

    private static readonly string[] Services = ["identity", "submissions", "payments", "notifications"];

    /// <summary>Every web workload the platform builds an image for: the services, the practice portal (no database) and the gateway.</summary>
    private static readonly string[] Workloads = [.. Services, "portal", "gateway"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders_and_every_object_validates_against_the_Kubernetes_schemas(string overlay)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath(overlay));

        Assert.NotEmpty(objects);
        Assert.Empty(K8sTool.Validate(objects));
        Assert.All(objects, o => Assert.Equal(overlay == "production" ? "platform" : "platform-staging", o["metadata"]!["namespace"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_workload_in_the_overlay_keeps_the_invariants(string overlay)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath(overlay));

        Assert.Empty(WorkloadInvariants.Check(objects));
        var deployments = objects.Where(o => Kind(o) == "Deployment").Select(Name).ToHashSet();
        Assert.Superset(new HashSet<string>([.. Workloads, "otel-collector"]), deployments);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_runs_the_stateful_pieces_through_their_operators(string overlay)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath(overlay));

        Assert.Single(objects, o => Kind(o) == "RabbitmqCluster");
        Assert.Single(objects, o => Kind(o) == "Redis" && Api(o).StartsWith("redis.redis.opstreelabs.in/", StringComparison.Ordinal));
        var clusters = objects.Where(o => Kind(o) == "Cluster" && Api(o) == "postgresql.cnpg.io/v1").ToList();
        Assert.Equal(
            Services.Select(s => $"{s}db").Order(),
            clusters.Select(c => c["spec"]!["bootstrap"]!["initdb"]!["database"]!.GetValue<string>()).Order());
    }

    [Fact]
    public void Production_broker_is_a_three_node_cluster_with_quorum_queues()
    {
        var rabbit = K8sTool.Render(K8sTool.OverlayPath("production")).Single(o => Kind(o) == "RabbitmqCluster");

        Assert.Equal(3, rabbit["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains("default_queue_type = quorum", rabbit["spec"]!["rabbitmq"]!["additionalConfig"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Services_get_their_settings_from_ConfigMaps_and_connection_strings_from_Secrets(string overlay)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath(overlay));
        var example = File.ReadAllText(Repository.PathOf("deploy", "k8s", "examples", "secrets.example.yaml"));

        foreach (var service in Services)
        {
            var env = Env(objects, service);
            Assert.Equal($"{service}-db", env[$"ConnectionStrings__{service}db"]);
            Assert.Equal("platform-messaging", env["ConnectionStrings__messaging"]);
            Assert.Equal("platform-redis", env["ConnectionStrings__redis"]);
            Assert.Equal(service, env["OTEL_SERVICE_NAME"]);
        }

        // The portal has no database and no broker: only the cache, for the data-protection key ring its replicas share.
        var portalEnv = Env(objects, "portal");
        Assert.Equal("platform-redis", portalEnv["ConnectionStrings__redis"]);
        Assert.Equal("portal", portalEnv["OTEL_SERVICE_NAME"]);
        Assert.DoesNotContain(portalEnv.Keys, k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && k != "ConnectionStrings__redis");

        var secretNames = objects.Where(o => Kind(o) == "Deployment").SelectMany(d => d.ToJsonString().Split("\"secretKeyRef\":{\"name\":\"").Skip(1))
            .Select(s => s[..s.IndexOf('"', StringComparison.Ordinal)]).Distinct();
        Assert.All(secretNames, s => Assert.Contains($"name: {s}\n", example));

        var platformConfig = objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == "platform-config")["data"]!;
        Assert.Equal("http://otel-collector:4317", platformConfig["OTEL_EXPORTER_OTLP_ENDPOINT"]!.GetValue<string>());
        var notifications = objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == "notifications-config")["data"]!;
        Assert.NotNull(notifications["Smtp__Host"]);
        Assert.NotNull(notifications["Smtp__Port"]);
        var gateway = objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == "gateway-config")["data"]!;
        Assert.All(Services.Append("portal"), s => Assert.Equal($"http://{s}", gateway[$"services__{s}__http__0"]!.GetValue<string>()));
        Assert.All(Services.Append("gateway"), s => Assert.Equal(
            "http://identity",
            objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == $"{s}-config")["data"]!["Identity__Authority"]!.GetValue<string>()));
        var publicUrl = overlay == "production" ? "https://platform.example.invalid/" : "https://platform.staging.example.invalid/";
        var identity = objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == "identity-config")["data"]!;
        Assert.Equal(publicUrl, identity["Identity__Server__Issuer"]!.GetValue<string>());
        Assert.Equal(publicUrl, notifications["Notifications__Messages__PortalBaseUrl"]!.GetValue<string>());
        Assert.Equal($"{publicUrl}signin-oidc", identity["Identity__Server__PortalRedirectUris__0"]!.GetValue<string>());
        var portal = objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == "portal-config")["data"]!;
        Assert.Equal(publicUrl, portal["Portal__GatewayUrl"]!.GetValue<string>());
        Assert.Equal("http://identity", portal["Portal__IdentityUrl"]!.GetValue<string>());
        Assert.All(Workloads, s => Assert.Contains(objects, o => Kind(o) == "Service" && Name(o) == s));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_images_are_the_published_container_names_with_a_tag(string overlay)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath(overlay));

        foreach (var name in Workloads)
        {
            var image = objects.Single(o => Kind(o) == "Deployment" && Name(o) == name)["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
            Assert.Matches($"(^|/)platform/{name}:[0-9A-Za-z._-]+$", image);
            Assert.DoesNotContain(":latest", image);
        }
    }

    // --- the checks fail when the manifests are broken (mutated copies of the rendered production overlay) ---

    [Theory]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    public void Invariants_fail_when_a_probe_is_removed(string probe)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        Container(objects, "payments").Remove(probe);

        Assert.Contains(WorkloadInvariants.Check(objects), v => v.Contains("Deployment/payments", StringComparison.Ordinal) && v.Contains(probe, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("portal")]
    public void Invariants_fail_when_a_probe_points_away_from_the_health_endpoint(string name)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        Container(objects, name)["readinessProbe"]!["httpGet"]!["path"] = "/";

        Assert.Contains(WorkloadInvariants.Check(objects), v => v.Contains($"Deployment/{name}", StringComparison.Ordinal) && v.Contains("must probe /health/ready", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("limits", "memory")]
    [InlineData("limits", "cpu")]
    [InlineData("requests", "cpu")]
    public void Invariants_fail_when_a_request_or_limit_is_removed(string part, string resource)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        Container(objects, "gateway")["resources"]![part]!.AsObject().Remove(resource);

        Assert.Contains(WorkloadInvariants.Check(objects), v => v.Contains($"resources.{part}.{resource} is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Invariants_fail_when_a_service_leaves_its_gen0_budget_to_the_machine()
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        var env = (JsonArray)Container(objects, "payments")["env"]!;
        env.Remove(env.Single(e => e!["name"]!.GetValue<string>() == "DOTNET_GCgen0size"));

        Assert.Contains(WorkloadInvariants.Check(objects), v => v.Contains("Deployment/payments", StringComparison.Ordinal)
            && v.Contains("DOTNET_GCgen0size is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Invariants_fail_when_the_security_context_is_loosened()
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        var container = Container(objects, "notifications");
        container["securityContext"]!["readOnlyRootFilesystem"] = false;
        container["securityContext"]!["allowPrivilegeEscalation"] = true;
        container["securityContext"]!["capabilities"] = new JsonObject();
        container["securityContext"]!.AsObject().Remove("runAsNonRoot");
        Deployment(objects, "notifications")["spec"]!["template"]!["spec"]!["securityContext"]!.AsObject().Remove("runAsNonRoot");

        var violations = WorkloadInvariants.Check(objects);

        Assert.Contains(violations, v => v.Contains("readOnlyRootFilesystem", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("allowPrivilegeEscalation", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("capabilities.drop", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("runAsNonRoot", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PodDisruptionBudget")]
    [InlineData("HorizontalPodAutoscaler")]
    public void Invariants_fail_when_a_deployment_loses_its_disruption_budget_or_autoscaler(string kind)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        objects.RemoveAll(o => Kind(o) == kind && Name(o) == "submissions");

        Assert.Contains(WorkloadInvariants.Check(objects), v => v.StartsWith("Deployment/submissions", StringComparison.Ordinal) && v.Contains(kind, StringComparison.Ordinal));
    }

    [Fact]
    public void Invariants_fail_when_a_connection_string_is_written_into_the_manifest()
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        var env = Container(objects, "payments")["env"]!.AsArray();
        env.Add(new JsonObject { ["name"] = "ConnectionStrings__paymentsdb2", ["value"] = "Host=x;Password=y" });

        Assert.Contains(WorkloadInvariants.Check(objects), v => v.Contains("must come from a Secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_validation_rejects_a_wrongly_typed_field_and_an_operator_resource_missing_a_required_field()
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath("production"));
        Container(objects, "payments")["ports"]![0]!["containerPort"] = "eighty";
        objects.Single(o => Kind(o) == "Cluster" && Name(o) == "payments-pg")["spec"]!.AsObject().Remove("storage");
        objects.Single(o => Kind(o) == "HorizontalPodAutoscaler" && Name(o) == "gateway")["spec"]!.AsObject().Remove("scaleTargetRef");

        var errors = K8sTool.Validate(objects);

        Assert.Contains(errors, e => e.StartsWith("Deployment/payments", StringComparison.Ordinal) && e.Contains("containerPort", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Cluster/payments-pg", StringComparison.Ordinal) && e.Contains("spec.storage.size", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HorizontalPodAutoscaler/gateway", StringComparison.Ordinal) && e.Contains("scaleTargetRef", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_gateway_reaches_the_services_and_the_portal_and_identity_also_from_its_callers(string overlay)
    {
        var objects = K8sTool.Render(K8sTool.OverlayPath(overlay));
        var policies = objects.Where(o => Kind(o) == "NetworkPolicy").ToList();

        foreach (var workload in new[] { "submissions", "payments", "notifications", "portal", "identity" })
        {
            var policy = Assert.Single(policies, p => p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]?.GetValue<string>() == workload);
            Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
            var peers = policy["spec"]!["ingress"]!.AsArray().Single()!["from"]!.AsArray().OfType<JsonObject>().ToList();
            var pods = peers.Where(peer => peer["podSelector"] is not null).Select(peer => peer["podSelector"]!.AsObject()).Single();
            var allowed = pods["matchLabels"]?["app.kubernetes.io/name"] is { } one
                ? [one.GetValue<string>()]
                : pods["matchExpressions"]!.AsArray().Single()!["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
            string[] expected = workload == "identity" ? ["gateway", "portal", "submissions", "payments", "notifications"] : ["gateway"];
            Assert.Equal(expected.Order(), allowed.Order());
            // Besides the platform's own pods, only the monitoring namespace (metrics), never every namespace.
            Assert.All(peers.Where(peer => peer["namespaceSelector"] is not null),
                peer => Assert.Equal("monitoring", peer["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>()));
        }
        Assert.DoesNotContain(policies, p => p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]?.GetValue<string>() == "gateway");
    }

    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    private static string Api(JsonObject o) => o["apiVersion"]!.GetValue<string>();

    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    private static JsonObject Deployment(List<JsonObject> objects, string name) => objects.Single(o => Kind(o) == "Deployment" && Name(o) == name);

    private static JsonObject Container(List<JsonObject> objects, string name) =>
        Deployment(objects, name)["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    private static Dictionary<string, string> Env(List<JsonObject> objects, string name) =>
        Container(objects, name)["env"]!.AsArray().OfType<JsonObject>().ToDictionary(
            e => e["name"]!.GetValue<string>(),
            e => e["value"]?.GetValue<string>() ?? e["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
}
