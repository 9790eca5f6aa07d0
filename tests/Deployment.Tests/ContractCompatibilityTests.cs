using System.Text.Json.Nodes;

namespace Deployment.Tests;

/// <summary>
/// A service may ship alone only if the messages it publishes still serve every consumer: each contract in
/// Platform.Contracts is compared with its committed JSON schema under contracts/. Regenerate the snapshots with
/// scripts/contracts/update-snapshots.sh after an additive change (and review the diff: it is the published contract).
/// </summary>
public sealed class ContractCompatibilityTests
{
    private const string UpdateVariable = "UPDATE_CONTRACT_SNAPSHOTS";

    public static TheoryData<string> Contracts => [.. ContractSchemas.ContractTypes().Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Contract_stays_compatible_with_its_committed_snapshot(string typeName)
    {
        var type = ContractSchemas.ContractsAssembly.GetType(typeName, throwOnError: true)!;
        var current = ContractSchemas.Export(type);
        var path = ContractSchemas.SnapshotPath(type);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, ContractSchemas.Serialize(current));
        }

        Assert.True(File.Exists(path), $"{typeName} has no snapshot at {Path.GetRelativePath(Repository.Root, path)}: run scripts/contracts/update-snapshots.sh and commit it.");
        var committed = JsonNode.Parse(File.ReadAllText(path));

        var breaking = ContractSchemas.BreakingChanges(committed, current);

        Assert.True(breaking.Count == 0,
            $"{typeName} breaks its consumers:\n  {string.Join("\n  ", breaking)}\n" +
            "Contracts change additively; a breaking change is a new message type.");
    }

    [Fact]
    public void Every_snapshot_still_has_its_contract()
    {
        var expected = ContractSchemas.ContractTypes().Select(ContractSchemas.SnapshotPath).ToHashSet();
        var orphans = Directory.EnumerateFiles(ContractSchemas.SnapshotDirectory, "*.schema.json", SearchOption.AllDirectories)
            .Where(f => !expected.Contains(f))
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .ToList();

        Assert.True(orphans.Count == 0, $"Contracts removed or moved (consumers still expect them): {string.Join(", ", orphans)}");
    }

    // --- the rule itself, on example contracts: version 1 and its possible successors ---

    public sealed record OrderPlacedV1(Guid OrderId, string Practice, decimal Amount, IReadOnlyList<LineV1> Lines);

    public sealed record LineV1(string Code, int Quantity);

    public sealed record OrderPlacedFieldRemoved(Guid OrderId, decimal Amount, IReadOnlyList<LineV1> Lines);

    public sealed record OrderPlacedFieldRetyped(Guid OrderId, string Practice, string Amount, IReadOnlyList<LineV1> Lines);

    public sealed record OrderPlacedNestedFieldRetyped(Guid OrderId, string Practice, decimal Amount, IReadOnlyList<LineV2Retyped> Lines);

    public sealed record LineV2Retyped(string Code, decimal Quantity);

    public sealed record OrderPlacedMadeNullable(Guid OrderId, string? Practice, decimal Amount, IReadOnlyList<LineV1> Lines);

    public sealed record OrderPlacedRequiredFieldAdded(Guid OrderId, string Practice, decimal Amount, IReadOnlyList<LineV1> Lines, string Icb);

    public sealed record OrderPlacedOptionalFieldAdded(
        Guid OrderId, string Practice, decimal Amount, IReadOnlyList<LineV1> Lines, string? Icb = null, int? Revision = null);

    public sealed record OrderPlacedNestedOptionalFieldAdded(Guid OrderId, string Practice, decimal Amount, IReadOnlyList<LineV2Optional> Lines);

    public sealed record LineV2Optional(string Code, int Quantity, string? Note = null);

    [Fact]
    public void Removing_a_field_is_breaking()
    {
        var breaking = ContractSchemas.BreakingChanges(ContractSchemas.Export(typeof(OrderPlacedV1)), ContractSchemas.Export(typeof(OrderPlacedFieldRemoved)));

        Assert.Equal(["$.practice: removed"], breaking);
    }

    [Fact]
    public void Retyping_a_field_is_breaking_also_inside_a_nested_record()
    {
        var v1 = ContractSchemas.Export(typeof(OrderPlacedV1));

        Assert.Contains(ContractSchemas.BreakingChanges(v1, ContractSchemas.Export(typeof(OrderPlacedFieldRetyped))), c => c.StartsWith("$.amount: ", StringComparison.Ordinal));
        Assert.Contains(ContractSchemas.BreakingChanges(v1, ContractSchemas.Export(typeof(OrderPlacedNestedFieldRetyped))), c => c.StartsWith("$.lines[].quantity: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Making_a_field_nullable_or_adding_a_required_field_is_breaking()
    {
        var v1 = ContractSchemas.Export(typeof(OrderPlacedV1));

        Assert.Contains(ContractSchemas.BreakingChanges(v1, ContractSchemas.Export(typeof(OrderPlacedMadeNullable))), c => c.StartsWith("$.practice: type changed", StringComparison.Ordinal));
        Assert.Contains(ContractSchemas.BreakingChanges(v1, ContractSchemas.Export(typeof(OrderPlacedRequiredFieldAdded))), c => c.StartsWith("$.icb: added as required", StringComparison.Ordinal));
    }

    [Fact]
    public void Adding_optional_fields_is_compatible()
    {
        var v1 = ContractSchemas.Export(typeof(OrderPlacedV1));

        Assert.Empty(ContractSchemas.BreakingChanges(v1, ContractSchemas.Export(typeof(OrderPlacedOptionalFieldAdded))));
        Assert.Empty(ContractSchemas.BreakingChanges(v1, ContractSchemas.Export(typeof(OrderPlacedNestedOptionalFieldAdded))));
    }

    [Fact]
    public void Snapshot_round_trip_of_a_real_contract_passes_and_a_field_removed_from_it_fails()
    {
        var type = typeof(Platform.Contracts.Payments.PaymentSettled);
        var committed = JsonNode.Parse(File.ReadAllText(ContractSchemas.SnapshotPath(type)))!;
        var current = ContractSchemas.Export(type);
        Assert.Empty(ContractSchemas.BreakingChanges(committed, current));

        var firstField = current["properties"]!.AsObject().First().Key;
        current["properties"]!.AsObject().Remove(firstField);

        Assert.Contains($"$.{firstField}: removed", ContractSchemas.BreakingChanges(committed, current));
    }
}
