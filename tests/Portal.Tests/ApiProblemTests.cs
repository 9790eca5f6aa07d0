using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Portal.Api;

namespace Portal.Tests;

public class ApiProblemTests
{
    private static UntypedArray Errors(params (string Field, string Code, string Message)[] errors) =>
        new(errors.Select(error => (UntypedNode)new UntypedObject(new Dictionary<string, UntypedNode>
        {
            ["field"] = new UntypedString(error.Field),
            ["code"] = new UntypedString(error.Code),
            ["message"] = new UntypedString(error.Message),
        })).ToList());

    [Fact]
    public void A_validation_refusal_gives_its_code_title_and_fields()
    {
        var exception = new Platform.Client.Identity.Models.ProblemDetails
        {
            Code = "validation_failed",
            Title = "The password cannot be used.",
            Detail = "See errors.",
            ResponseStatusCode = 400,
            AdditionalData = { ["errors"] = Errors(("newPassword", "too_short", "must be at least 12 characters"), ("currentPassword", "wrong", "is not right")) },
        };

        var problem = ApiProblem.From(exception);

        Assert.Equal(400, problem.Status);
        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal("The password cannot be used.", problem.Message);
        Assert.Equal(
            [new ApiFieldError("newPassword", "too_short", "must be at least 12 characters"), new ApiFieldError("currentPassword", "wrong", "is not right")],
            problem.Fields);
        Assert.False(problem.IsNotFound);
    }

    [Fact]
    public void A_refusal_without_fields_gives_its_detail_for_a_person()
    {
        var exception = new Platform.Client.Submissions.Models.ProblemDetails
        {
            Code = "already_approved", Title = "Conflict", Detail = "This submission has already been approved.", ResponseStatusCode = 409,
        };

        var problem = ApiProblem.From(exception);

        Assert.Equal("already_approved", problem.Code);
        Assert.Equal("This submission has already been approved.", problem.Message);
        Assert.Empty(problem.Fields);
    }

    [Fact]
    public void Not_found_is_known_as_not_found()
    {
        var problem = ApiProblem.From(new Platform.Client.Payments.Models.ProblemDetails { Code = "not_found", Title = "Not found", ResponseStatusCode = 404 });

        Assert.True(problem.IsNotFound);
        Assert.Equal("Not found", problem.Message);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void A_server_failure_says_the_service_is_not_available_never_the_apis_words(int status)
    {
        var exception = new Platform.Client.Notifications.Models.ProblemDetails
        {
            Code = "internal_error",
            Title = "An unexpected error occurred",
            Detail = "System.InvalidOperationException at POST /api/notifications/v1/preferences {\"trace\":\"abc\"}",
            ResponseStatusCode = status,
        };

        var problem = ApiProblem.From(exception);

        Assert.Equal("The service is not available at the moment. Try again in a few minutes.", problem.Message);
        Assert.DoesNotContain("/api", problem.Message);
        Assert.DoesNotContain("{", problem.Message);
    }

    [Fact]
    public void Too_many_requests_says_to_wait()
    {
        var problem = ApiProblem.From(new Platform.Client.Identity.Models.ProblemDetails
        {
            Code = "rate_limited", Title = "Too Many Requests", Detail = "Rate limit for /api/identity/v1/password exceeded", ResponseStatusCode = 429,
        });

        Assert.Equal("rate_limited", problem.Code);
        Assert.Equal("You have tried too many times. Wait a few minutes, then try again.", problem.Message);
    }

    [Fact]
    public void An_api_failure_without_problem_details_is_not_available_and_never_its_raw_message()
    {
        var problem = ApiProblem.From(new ApiException("The server returned an unexpected status code and no error factory is registered for this code: 502 {\"path\":\"/api/x\"}") { ResponseStatusCode = 502 });

        Assert.Equal("unavailable", problem.Code);
        Assert.Equal(ApiProblem.Unavailable, problem.Message);
        Assert.Empty(problem.Fields);
    }

    [Fact]
    public void Problem_details_without_a_code_or_words_still_give_a_sentence()
    {
        var problem = ApiProblem.From(new Platform.Client.Identity.Models.ProblemDetails { ResponseStatusCode = 400 });

        Assert.Equal("error", problem.Code);
        Assert.Equal("Something went wrong.", problem.Message);
    }
}
