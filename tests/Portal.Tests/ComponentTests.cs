using Bunit;
using Platform.Client.Identity.Models;
using Platform.Client.Submissions.Models;
using Portal.Components.Pages.Submissions;
using Portal.Components.Shared;

namespace Portal.Tests;

public class ErrorSummaryTests : BunitContext
{
    [Fact]
    public void Without_errors_nothing_is_rendered()
    {
        var cut = Render<ErrorSummary>(p => p.Add(x => x.Errors, new FormErrors()));

        Assert.Equal("", cut.Markup.Trim());
    }

    [Fact]
    public void With_errors_the_NHS_summary_links_each_field_and_lists_general_errors()
    {
        var errors = new FormErrors();
        errors.Add("email", "Enter your email address");
        errors.Add("password", "Enter your password");
        errors.AddGeneral("Your account is locked");

        var cut = Render<ErrorSummary>(p => p.Add(x => x.Errors, errors));

        var summary = cut.Find(".nhsuk-error-summary");
        Assert.Equal("There is a problem", summary.QuerySelector("h2")!.TextContent);
        Assert.NotNull(summary.QuerySelector("[role=alert]"));
        var items = cut.FindAll(".nhsuk-error-summary__list li");
        Assert.Equal(3, items.Count);
        Assert.Equal("#email", items[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Enter your email address", items[0].TextContent.Trim());
        Assert.Equal("#password", items[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(items[2].QuerySelector("a"));
        Assert.Equal("Your account is locked", items[2].TextContent.Trim());
    }
}

public class InputFieldTests : BunitContext
{
    [Fact]
    public void A_field_with_an_error_shows_it_and_links_hint_and_error_for_screen_readers()
    {
        var cut = Render<InputField>(p => p
            .Add(x => x.Id, "email").Add(x => x.Name, "Email").Add(x => x.Label, "Email address")
            .Add(x => x.Value, "aisha@").Add(x => x.Hint, "Your NHS.net address").Add(x => x.Error, "Enter an email address in the right format"));

        Assert.Contains("nhsuk-form-group--error", cut.Find(".nhsuk-form-group").ClassList);
        var error = cut.Find(".nhsuk-error-message");
        Assert.Equal("email-error", error.Id);
        Assert.Equal("Error:", error.QuerySelector(".nhsuk-u-visually-hidden")!.TextContent);
        Assert.Equal("Error: Enter an email address in the right format", error.TextContent.Trim());
        var input = cut.Find("input");
        Assert.Equal("email-hint email-error", input.GetAttribute("aria-describedby"));
        Assert.Contains("nhsuk-input--error", input.ClassList);
        Assert.Equal("aisha@", input.GetAttribute("value"));
        Assert.Equal("email", cut.Find("label").GetAttribute("for"));
    }

    [Fact]
    public void A_field_without_an_error_has_no_error_parts()
    {
        var cut = Render<InputField>(p => p.Add(x => x.Id, "name").Add(x => x.Name, "Name").Add(x => x.Label, "Full name"));

        Assert.DoesNotContain("nhsuk-form-group--error", cut.Find(".nhsuk-form-group").ClassList);
        Assert.Empty(cut.FindAll(".nhsuk-error-message"));
        Assert.False(cut.Find("input").HasAttribute("aria-describedby"));
    }

    [Fact]
    public void A_password_is_never_written_back_into_the_page()
    {
        var cut = Render<InputField>(p => p
            .Add(x => x.Id, "password").Add(x => x.Name, "Password").Add(x => x.Label, "Password")
            .Add(x => x.Type, "password").Add(x => x.Value, "correct horse battery staple").Add(x => x.Error, "Enter your password"));

        var input = cut.Find("input");
        Assert.Equal("password", input.GetAttribute("type"));
        Assert.False(input.HasAttribute("value"));
        Assert.DoesNotContain("correct horse", cut.Markup);
    }
}

public class StatusTagTests : BunitContext
{
    [Theory]
    [InlineData("paid", "Paid", "nhsuk-tag--green")]
    [InlineData("payment-failed", "Payment failed", "nhsuk-tag--red")]
    [InlineData("rejected", "Rejected", "nhsuk-tag--red")]
    [InlineData("awaiting-approval", "Awaiting approval", "nhsuk-tag--yellow")]
    [InlineData("validated", "Validated", "nhsuk-tag--blue")]
    [InlineData("received", "Received", "nhsuk-tag--grey")]
    [InlineData(null, "Unknown", "nhsuk-tag--grey")]
    public void A_status_is_in_a_persons_words_and_colour(string? status, string words, string colour)
    {
        var tag = Render<StatusTag>(p => p.Add(x => x.Status, status)).Find("strong.nhsuk-tag");

        Assert.Equal(words, tag.TextContent);
        Assert.Contains(colour, tag.ClassList);
    }
}

public class PasswordExpiryBannerTests : BunitContext
{
    [Theory]
    [InlineData(30, "in 30 days")]
    [InlineData(1, "in 1 day")]
    [InlineData(0, "today")]
    public void The_banner_shows_from_30_days_before_expiry(int daysLeft, string when)
    {
        var cut = Render<PasswordExpiryBanner>(p => p.Add(x => x.Profile,
            new Profile { PasswordDaysLeft = daysLeft, PasswordExpiresAt = DateTimeOffset.Parse("2026-07-01T23:30:00Z") }));

        var banner = cut.Find(".nhsuk-notification-banner");
        Assert.Contains($"Your password expires {when}, on 2 July 2026.", banner.TextContent);
        Assert.Equal("/account/password", banner.QuerySelector("a")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(null)]
    public void No_banner_from_31_days_or_when_unknown(int? daysLeft)
    {
        var cut = Render<PasswordExpiryBanner>(p => p.Add(x => x.Profile, new Profile { PasswordDaysLeft = daysLeft }));

        Assert.Empty(cut.FindAll(".nhsuk-notification-banner"));
    }
}

public class TimelinePanelTests : BunitContext
{
    private static readonly DateTimeOffset Received = DateTimeOffset.Parse("2026-07-01T09:00:00Z");

    [Fact]
    public void A_paid_submission_is_terminal_and_shows_its_remittance_and_lines()
    {
        var submission = new SubmissionView
        {
            Status = "paid",
            Timeline =
            [
                new TimelineEntryView { At = Received.AddHours(2), Status = "paid", Detail = "Paid to the practice" },
                new TimelineEntryView { At = Received, Status = "received", Detail = "Received" },
            ],
            Payment = new PaymentView
            {
                Amount = 1207.2m,
                RemittanceReference = "REM-2026-000123",
                Lines =
                [
                    new PaymentLineView { Indicator = "FLU_65_PLUS", Quantity = 120, Rate = 10.06m, Amount = 1207.2m },
                ],
            },
        };

        var cut = Render<TimelinePanel>(p => p.Add(x => x.Submission, submission));

        Assert.Equal("true", cut.Find("[data-terminal]").GetAttribute("data-terminal"));
        Assert.Empty(cut.FindAll("[aria-live]"));
        Assert.Equal(["received", "paid"], cut.FindAll("tr[data-status]").Select(row => row.GetAttribute("data-status")));
        Assert.Equal("REM-2026-000123", cut.Find("[data-testid=remittance-reference]").TextContent);
        Assert.Equal("£1,207.20", cut.Find("[data-testid=payment-amount]").TextContent);
        var line = cut.Find("table[aria-label='Payment lines'] tbody tr").QuerySelectorAll("td").Select(cell => cell.TextContent).ToArray();
        Assert.Equal(["FLU_65_PLUS", "120", "£10.06", "£1,207.20"], line);
    }

    [Fact]
    public void A_validated_submission_is_not_terminal_and_has_no_payment()
    {
        var submission = new SubmissionView
        {
            Status = "validated",
            Timeline = [new TimelineEntryView { At = Received, Status = "received", Detail = "Received" }, new TimelineEntryView { At = Received.AddMinutes(1), Status = "validated", Detail = "Checked" }],
        };

        var cut = Render<TimelinePanel>(p => p.Add(x => x.Submission, submission));

        Assert.Equal("false", cut.Find("[data-terminal]").GetAttribute("data-terminal"));
        Assert.NotEmpty(cut.FindAll("[aria-live=polite]"));
        Assert.Empty(cut.FindAll("[data-testid=remittance-reference]"));
        Assert.Equal("Validated", cut.Find("h2 .nhsuk-tag").TextContent);
    }
}
