using Microsoft.Extensions.Options;
using Notifications.Api.Templates;

namespace Notifications.Api.Application;

/// <summary>Builds the <see cref="SubmissionModel"/> part of the submission and payment templates: the practice's name, the link to the submission.</summary>
public sealed class SubmissionModels(RecipientDirectory directory, IOptions<MessageOptions> options)
{
    public async Task<SubmissionModel> DescribeAsync(Guid submissionId, int version, string practiceOds, string serviceCode, string period,
        CancellationToken cancellationToken) =>
        Describe(submissionId, version, practiceOds, await directory.PracticeNameAsync(practiceOds, cancellationToken), serviceCode, period);

    /// <summary>For a caller that has read the practice's name already.</summary>
    public SubmissionModel Describe(Guid submissionId, int version, string practiceOds, string practiceName, string serviceCode, string period) =>
        new(submissionId.ToString(), version, practiceOds, practiceName, serviceCode, period,
            options.Value.Link(options.Value.SubmissionPath, id: submissionId.ToString()));
}
