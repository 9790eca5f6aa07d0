using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using Identity.Api.Data;
using Identity.Api.Domain;
using Platform.Testing;

namespace Identity.Tests;

public sealed class PasswordPolicyTests(MessagingServers servers)
{
    private static readonly PasswordPolicy Policy = new(12, 128, PasswordBlocklist.LoadEmbedded());

    [Theory]
    [InlineData("short pass", "password_too_short")]
    [InlineData("elevenchars", "password_too_short")]
    [InlineData("password1234", "password_too_common")]
    [InlineData("Password1234", "password_too_common")]
    [InlineData("qwertyuiop123", "password_too_common")]
    [InlineData("iloveyou2024!", "password_too_common")]
    public void Short_and_blocklisted_passwords_are_refused(string password, string code) =>
        Assert.Contains(Policy.Check(password, "someone@a81001.test"), problem => problem.Code == code);

    [Theory]
    [InlineData("lantern orchard pebble 47")]
    [InlineData("twelve chars")]
    [InlineData("alllowercaseletters")]
    [InlineData(DemoData.Password)]
    public void Long_uncommon_passwords_pass_without_composition_rules(string password) =>
        Assert.Empty(Policy.Check(password, "someone@a81001.test"));

    [Fact]
    public void A_password_containing_the_whole_username_is_refused_however_short_the_name_before_the_at() =>
        Assert.Contains(Policy.Check("jo@a81001.test and more words", "jo@a81001.test"), problem => problem.Code == "password_contains_username");

    [Fact]
    public void A_password_containing_the_username_is_refused() =>
        Assert.Contains(Policy.Check("margaret-smith-garden-2026", "margaret-smith@a81001.test"), problem => problem.Code == "password_contains_username");

    [Fact]
    public void The_shipped_blocklist_has_thousands_of_entries() =>
        Assert.InRange(PasswordBlocklist.LoadEmbedded().Count, 5_000, 100_000);

    [Fact]
    public async Task Passwords_are_hashed_with_pbkdf2_hmac_sha512_and_at_least_210000_iterations()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        var user = await app.CreateUserAsync("user@a81001.test", ods: null);

        // ASP.NET Core Identity v3 format: 0x01, PRF (2 = HMAC-SHA512), iteration count, salt length, salt, subkey.
        var hash = Convert.FromBase64String(user.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(2u /* KeyDerivationPrf.HMACSHA512 */, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 210_000);
    }

    [Fact]
    public async Task Reusing_any_of_the_last_8_passwords_is_refused_but_the_9th_oldest_is_allowed()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null, password: "history passphrase 0");
        var current = "history passphrase 0";
        for (var i = 1; i <= 8; i++)
        {
            var next = $"history passphrase {i}";
            Assert.Equal(HttpStatusCode.NoContent, (await ChangeAsync(app, current, next)).Status);
            current = next;
        }

        // The last 8 passwords are 1..8: the current one and the 7 before it are refused...
        foreach (var old in new[] { 8, 5, 1 })
        {
            var refused = await ChangeAsync(app, current, $"history passphrase {old}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Equal("password_reused", refused.Problem!.FieldErrors[0].Code);
        }

        // ...and passphrase 0 is now 9 passwords back.
        Assert.Equal(HttpStatusCode.NoContent, (await ChangeAsync(app, current, "history passphrase 0")).Status);
    }

    [Fact]
    public async Task Change_with_a_blocklisted_or_short_password_answers_validation_problem_details()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);

        var common = await ChangeAsync(app, IdentityApp.Password, "Password1234");
        var shortOne = await ChangeAsync(app, IdentityApp.Password, "too short");

        Assert.Equal(HttpStatusCode.BadRequest, common.Status);
        Assert.Equal("validation_failed", common.Problem!.Code);
        Assert.Equal("password_too_common", common.Problem.FieldErrors[0].Code);
        Assert.Equal("password_too_short", shortOne.Problem!.FieldErrors[0].Code);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
    }

    private static async Task<(HttpStatusCode Status, ProblemBody? Problem)> ChangeAsync(IdentityApp app, string current, string next)
    {
        using var client = await app.ClientForAsync("user@a81001.test", current);
        using var response = await client.PostAsJsonAsync("/api/identity/password/change", new { currentPassword = current, newPassword = next });
        return (response.StatusCode, response.StatusCode == HttpStatusCode.NoContent ? null : await response.ReadProblemAsync());
    }
}
