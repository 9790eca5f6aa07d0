using System.Text.Json.Nodes;
using Platform.Testing;

namespace Deployment.Tests;

/// <summary>
/// The rule each service's tests apply to its OpenAPI document (OpenApiSnapshot), tried on the committed Submissions
/// document and edited copies of it: what a client app written against the snapshot would break on.
/// </summary>
public sealed class OpenApiCompatibilityTests
{
    private static JsonNode Committed() => JsonNode.Parse(File.ReadAllText(Repository.PathOf("contracts", "openapi", "submissions.json")))!;

    private static JsonObject Schema(JsonNode document, string name) => document["components"]!["schemas"]![name]!.AsObject();

    [Fact]
    public void The_committed_document_is_compatible_with_itself()
    {
        Assert.Empty(OpenApiCompatibility.BreakingChanges(Committed(), Committed()));
    }

    [Fact]
    public void Removing_a_response_field_is_breaking()
    {
        var changed = Committed();
        var view = Schema(changed, "SubmissionView");
        view["properties"]!.AsObject().Remove("status");
        view["required"]!.AsArray().Remove(view["required"]!.AsArray().First(n => n!.GetValue<string>() == "status"));

        Assert.Contains("GET /api/submissions/{id} response 200.status: removed", OpenApiCompatibility.BreakingChanges(Committed(), changed));
    }

    [Fact]
    public void Widening_a_response_field_or_making_it_optional_is_breaking()
    {
        var widened = Committed();
        Schema(widened, "SubmissionReceipt")["properties"]!["status"]!["type"] = new JsonArray("null", "string");
        var optional = Committed();
        var required = Schema(optional, "SubmissionReceipt")["required"]!.AsArray();
        required.Remove(required.First(n => n!.GetValue<string>() == "statusUrl"));

        Assert.Contains(OpenApiCompatibility.BreakingChanges(Committed(), widened), c => c.StartsWith("POST /api/submissions response 202.status: type string became null|string", StringComparison.Ordinal));
        Assert.Contains("POST /api/submissions response 202.statusUrl: no longer always present", OpenApiCompatibility.BreakingChanges(Committed(), optional));
    }

    [Fact]
    public void Adding_an_optional_request_field_or_a_response_field_is_compatible()
    {
        var changed = Committed();
        Schema(changed, "SubmissionRequest")["properties"]!["note"] = new JsonObject { ["type"] = new JsonArray("null", "string") };
        Schema(changed, "SubmissionView")["properties"]!["reviewedAt"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" };

        Assert.Empty(OpenApiCompatibility.BreakingChanges(Committed(), changed));
    }

    [Fact]
    public void Adding_a_required_request_field_is_breaking()
    {
        var changed = Committed();
        var request = Schema(changed, "SubmissionRequest");
        request["properties"]!["note"] = new JsonObject { ["type"] = "string" };
        request["required"]!.AsArray().Add("note");

        Assert.Contains("POST /api/submissions request.note: now required", OpenApiCompatibility.BreakingChanges(Committed(), changed));
    }

    [Fact]
    public void Removing_an_operation_or_requiring_a_token_where_none_was_needed_is_breaking()
    {
        var removed = Committed();
        removed["paths"]!["/api/submissions/{id}/events"]!.AsObject().Remove("get");
        var anonymousBefore = Committed();
        anonymousBefore["paths"]!["/api/submissions/catalogue"]!["get"]!["security"] = new JsonArray(new JsonObject());

        Assert.Contains("GET /api/submissions/{id}/events: removed", OpenApiCompatibility.BreakingChanges(Committed(), removed));
        Assert.Contains("GET /api/submissions/catalogue: now needs a token", OpenApiCompatibility.BreakingChanges(anonymousBefore, Committed()));
    }

    [Fact]
    public void Tightening_what_a_request_may_send_or_loosening_what_a_response_may_hold_is_breaking()
    {
        var shorterKey = Committed();
        IdempotencyKeySchema(shorterKey)["maxLength"] = 36;
        var limitedOds = Committed();
        Schema(limitedOds, "SubmissionRequest")["properties"]!["practiceOds"]!["pattern"] = "^[A-Z][0-9]{5}$";
        var unboundedKey = Committed();
        IdempotencyKeySchema(unboundedKey).Remove("maxLength");
        var statuses = Committed();
        Schema(statuses, "SubmissionReceipt")["properties"]!["status"]!["enum"] = new JsonArray("validated", "rejected");
        var moreStatuses = Committed();
        Schema(moreStatuses, "SubmissionReceipt")["properties"]!["status"]!["enum"] = new JsonArray("validated", "rejected", "stalled");

        Assert.Contains("POST /api/submissions parameter header:Idempotency-Key: maxLength 100 became 36", OpenApiCompatibility.BreakingChanges(Committed(), shorterKey));
        Assert.Contains("POST /api/submissions request.practiceOds: pattern none became ^[A-Z][0-9]{5}$", OpenApiCompatibility.BreakingChanges(Committed(), limitedOds));
        Assert.Contains("POST /api/submissions response 202.status: enum [\"rejected\",\"validated\"] became [\"rejected\",\"stalled\",\"validated\"]",
            OpenApiCompatibility.BreakingChanges(statuses, moreStatuses));
        // The other way round each is compatible: a longer key or one of any length, fewer statuses.
        Assert.Empty(OpenApiCompatibility.BreakingChanges(shorterKey, Committed()));
        Assert.Empty(OpenApiCompatibility.BreakingChanges(Committed(), unboundedKey));
        Assert.Empty(OpenApiCompatibility.BreakingChanges(moreStatuses, statuses));
    }

    private static JsonObject IdempotencyKeySchema(JsonNode document) =>
        document["paths"]!["/api/submissions"]!["post"]!["parameters"]!.AsArray()
            .Single(parameter => parameter!["name"]!.GetValue<string>() == "Idempotency-Key")!["schema"]!.AsObject();

    [Theory]
    [InlineData("v1", 1)]
    [InlineData("v2", 2)]
    [InlineData("2.3", 2)]
    [InlineData("", 0)]
    public void The_api_version_is_read_from_info_version(string version, int major)
    {
        Assert.Equal(major, OpenApiCompatibility.MajorVersion(new JsonObject { ["info"] = new JsonObject { ["version"] = version } }));
    }
}
