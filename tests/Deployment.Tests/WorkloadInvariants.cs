using System.Text.Json.Nodes;

namespace Deployment.Tests;

/// <summary>
/// What every rendered workload must satisfy before it may reach a cluster. <see cref="Check"/> returns one
/// line per violation, naming the object and the rule, so a failing test says exactly what to fix.
/// </summary>
public static class WorkloadInvariants
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet"];

    public static IReadOnlyList<string> Check(IReadOnlyList<JsonObject> objects)
    {
        var violations = new List<string>();
        foreach (var obj in objects)
        {
            var kind = Str(obj["kind"]);
            var name = $"{kind}/{Str(obj["metadata"]?["name"])}";
            if (kind == "Secret")
            {
                violations.Add($"{name}: Secrets are not committed; workloads reference them by name (deploy/k8s/examples/secrets.example.yaml).");
            }

            if (kind == "StatefulSet")
            {
                violations.Add($"{name}: stateful pieces run through their operators (RabbitmqCluster, CNPG Cluster, Redis), not hand-written StatefulSets.");
            }

            if (WorkloadKinds.Contains(kind))
            {
                CheckWorkload(obj, name, objects, violations);
            }
        }

        return violations;
    }

    private static void CheckWorkload(JsonObject workload, string name, IReadOnlyList<JsonObject> all, List<string> violations)
    {
        var component = Str(workload["metadata"]?["labels"]?["app.kubernetes.io/component"]);
        // The services, the gateway and the practice portal (frontend) answer /health/live and /health/ready.
        var isPlatformService = component is "service" or "gateway" or "frontend";
        var pod = workload["spec"]?["template"]?["spec"] as JsonObject;
        if (pod is null)
        {
            violations.Add($"{name}: no pod template.");
            return;
        }

        var podNonRoot = pod["securityContext"]?["runAsNonRoot"]?.GetValue<bool>() == true;
        var emptyDirs = (pod["volumes"] as JsonArray ?? [])
            .Where(v => v?["emptyDir"] is not null).Select(v => Str(v!["name"])).ToHashSet();
        var containers = (pod["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (containers.Count == 0)
        {
            violations.Add($"{name}: no containers.");
        }

        foreach (var c in containers)
        {
            var where = $"{name} container {Str(c["name"])}";
            var ports = (c["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .SelectMany(p => new[] { Str(p["name"]), p["containerPort"]?.ToString() ?? "" }).ToHashSet();
            CheckProbe(c, "livenessProbe", isPlatformService ? "/health/live" : null, ports, where, violations);
            CheckProbe(c, "readinessProbe", isPlatformService ? "/health/ready" : null, ports, where, violations);

            foreach (var part in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (c["resources"]?[part]?[resource] is null)
                    {
                        violations.Add($"{where}: resources.{part}.{resource} is missing.");
                    }
                }
            }

            var sc = c["securityContext"];
            if (!podNonRoot && sc?["runAsNonRoot"]?.GetValue<bool>() != true)
            {
                violations.Add($"{where}: runAsNonRoot is not true.");
            }

            if (sc?["runAsNonRoot"]?.GetValue<bool>() == false || sc?["runAsUser"]?.GetValue<long>() == 0)
            {
                violations.Add($"{where}: runs as root.");
            }

            if (sc?["readOnlyRootFilesystem"]?.GetValue<bool>() != true)
            {
                violations.Add($"{where}: readOnlyRootFilesystem is not true.");
            }

            if (sc?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
            {
                violations.Add($"{where}: allowPrivilegeEscalation is not false.");
            }

            if (sc?["privileged"]?.GetValue<bool>() == true)
            {
                violations.Add($"{where}: privileged.");
            }

            if (!(sc?["capabilities"]?["drop"] as JsonArray ?? []).Any(d => Str(d) == "ALL"))
            {
                violations.Add($"{where}: capabilities.drop does not contain ALL.");
            }

            var tmp = (c["volumeMounts"] as JsonArray ?? []).FirstOrDefault(m => Str(m?["mountPath"]) == "/tmp");
            if (tmp is null || !emptyDirs.Contains(Str(tmp["name"])))
            {
                violations.Add($"{where}: /tmp is not an emptyDir (the root filesystem is read-only).");
            }

            // The GC's generation 0 budget, as the AppHost sets it (AppHost/RuntimeMemory.cs): without it a VM's L3 cache decides.
            if (isPlatformService && !(c["env"] as JsonArray ?? []).OfType<JsonObject>().Any(env => Str(env["name"]) == "DOTNET_GCgen0size"
                && Str(env["value"]).StartsWith("0x", StringComparison.Ordinal)))
            {
                violations.Add($"{where}: DOTNET_GCgen0size is not set (hexadecimal).");
            }

            foreach (var env in (c["env"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Str(env["name"]).StartsWith("ConnectionStrings__", StringComparison.Ordinal) && env["valueFrom"]?["secretKeyRef"] is null)
                {
                    violations.Add($"{where}: {Str(env["name"])} must come from a Secret (valueFrom.secretKeyRef), not a literal.");
                }
            }
        }

        var ns = Str(workload["metadata"]?["namespace"]);
        var workloadName = Str(workload["metadata"]?["name"]);
        var podLabels = workload["spec"]?["template"]?["metadata"]?["labels"] as JsonObject ?? [];
        var hasPdb = all.Any(o => Str(o["kind"]) == "PodDisruptionBudget" && Str(o["metadata"]?["namespace"]) == ns
            && o["spec"]?["selector"]?["matchLabels"] is JsonObject match && match.Count > 0
            && match.All(kv => Str(podLabels[kv.Key]) == Str(kv.Value)));
        if (!hasPdb)
        {
            violations.Add($"{name}: no PodDisruptionBudget selects its pods.");
        }

        var hpa = all.FirstOrDefault(o => Str(o["kind"]) == "HorizontalPodAutoscaler" && Str(o["metadata"]?["namespace"]) == ns
            && Str(o["spec"]?["scaleTargetRef"]?["kind"]) == Str(workload["kind"]) && Str(o["spec"]?["scaleTargetRef"]?["name"]) == workloadName);
        if (hpa is null)
        {
            violations.Add($"{name}: no HorizontalPodAutoscaler targets it.");
        }
        else if ((hpa["spec"]?["minReplicas"]?.GetValue<int>() ?? 1) > hpa["spec"]?["maxReplicas"]?.GetValue<int>())
        {
            violations.Add($"{name}: its HorizontalPodAutoscaler has minReplicas > maxReplicas.");
        }
    }

    private static void CheckProbe(JsonObject container, string probe, string? path, HashSet<string> ports, string where, List<string> violations)
    {
        var httpGet = container[probe]?["httpGet"];
        if (httpGet is null)
        {
            violations.Add($"{where}: {probe} (httpGet) is missing.");
            return;
        }

        if (path is not null && Str(httpGet["path"]) != path)
        {
            violations.Add($"{where}: {probe} must probe {path}, not '{Str(httpGet["path"])}'.");
        }

        if (!ports.Contains(httpGet["port"]?.ToString() ?? ""))
        {
            violations.Add($"{where}: {probe} port '{httpGet["port"]}' is not a port of the container.");
        }
    }

    private static string Str(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToString() ?? "";
}
