using System.Text.Json.Serialization;

namespace Platform.Resilience.Tenancy;

// The members of the services' answers that these tests read, named after the services' own records (this project
// references no service). Members a service may leave out, or write as null, have defaults.

/// <summary>Submissions' receipt for an accepted version (<c>POST /api/submissions</c>).</summary>
public sealed record SubmissionReceipt(Guid Id, int Version);

/// <summary>One row of <c>GET /api/submissions</c>.</summary>
public sealed record SubmissionSummary(Guid Id, string PracticeOds, string ServiceCode, string Period);

/// <summary>A payment (<c>GET /api/payments/{id}</c>, and the rows of <c>GET /api/payments</c>).</summary>
public sealed record PaymentView(Guid Id, string PracticeOds, string Status);

/// <summary>A page of a list (ServiceDefaults' <c>PageOf</c>).</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items);

/// <summary>The inbox (<c>GET /api/notifications</c>).</summary>
public sealed record NoticePage(IReadOnlyList<NoticeView> Items);

public sealed record NoticeView(Guid Id, string Kind);

/// <summary>A new system client and its secret (<c>POST /api/identity/practices/{ods}/clients</c>).</summary>
public sealed record ClientSecret(string ClientId, string ClientSecretValue);

/// <summary>An invited person (<c>POST /api/identity/practices/{ods}/users</c>).</summary>
public sealed record Invited(Guid UserId, string Email);

/// <summary>Submissions' catalogue (<c>GET /api/submissions/catalogue</c>).</summary>
public sealed record CatalogueView(IReadOnlyList<CatalogueYearView> Years);

public sealed record CatalogueYearView(string FinancialYear, IReadOnlyList<CatalogueServiceView> Services);

public sealed record CatalogueServiceView(string Code, string Kind, IReadOnlyList<ReportingPeriodView> Periods, IReadOnlyList<CatalogueIndicatorView> Indicators);

/// <param name="Window">open, closed or not-yet-open, now.</param>
public sealed record ReportingPeriodView(string Period, string Window);

public sealed record CatalogueIndicatorView(string Code, decimal? MaxPoints = null, decimal? MaxValue = null);

/// <summary>
/// The token endpoint's OAuth JSON (RFC 6749 5.1; OpenIddict's): the access token a grant always returns, and how long
/// it lives when the endpoint says.
/// </summary>
public sealed record OAuthTokenBody(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn = null);
