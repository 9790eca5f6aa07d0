using Portal.Api;
using Portal.Components.Shared;

namespace Portal.Tests;

public class FormErrorsTests
{
    [Fact]
    public void Field_errors_keep_the_order_they_were_added_with_one_per_field()
    {
        var errors = new FormErrors();
        errors.Add("email", "Enter your email address");
        errors.Add("password", "Enter your password");
        errors.Add("email", "Enter an email address in the right format");

        Assert.True(errors.Any);
        Assert.Equal([("email", "Enter your email address"), ("password", "Enter your password")], errors.All.Select(error => (error.FieldId, error.Message)));
        Assert.Equal("Enter your email address", errors.For("email"));
        Assert.Null(errors.For("name"));
    }

    [Fact]
    public void General_errors_have_no_field_and_do_not_hide_one_another()
    {
        var errors = new FormErrors();
        Assert.False(errors.Any);
        errors.AddGeneral("The submission has already been approved");
        errors.AddGeneral("Try again later");

        Assert.Equal(2, errors.All.Count);
        Assert.All(errors.All, error => Assert.Null(error.FieldId));
    }

    [Fact]
    public void An_api_refusal_puts_each_known_field_on_its_form_field_and_the_rest_in_the_summary_as_sentences()
    {
        var problem = new ApiProblem(400, "validation_failed", "The submission is not valid.",
        [
            new ApiFieldError("period", "period_closed", "the period is closed"),
            new ApiFieldError("values[0].value", "too_large", "Value is more than the maximum (500)"),
            new ApiFieldError("supersedes", "stale", "a newer version exists"),
        ]);
        var errors = new FormErrors();

        errors.Add(problem, new Dictionary<string, string> { ["period"] = "period", ["values[0].value"] = "value-FLU_65_PLUS" });

        Assert.Equal(
            [("period", "The period is closed"), ("value-FLU_65_PLUS", "Value is more than the maximum (500)"), (null, "A newer version exists")],
            errors.All.Select(error => (error.FieldId, error.Message)));
    }

    [Fact]
    public void An_api_refusal_without_fields_is_its_message_in_the_summary()
    {
        var errors = new FormErrors();

        errors.Add(new ApiProblem(409, "conflict", "This submission has already been approved.", []), new Dictionary<string, string>());

        Assert.Equal((null, "This submission has already been approved."), Assert.Single(errors.All));
    }
}
