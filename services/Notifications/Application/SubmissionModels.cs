using Microsoft.Extensions.Options;
using Notifications.Api.Templates;

namespace Notifications.Api.Application;

/// <summary>Builds the <see cref="SubmissionModel"/> part of the submission and payment templates: the practice's name, the link to the submission.</summary>
public sealed class SubmissionModels(RecipientDirectory directory, IOptions<MessageOptions> options)
{
    public async Task<SubmissionModel> DescribeAsync(Guid submissionId, int version, string practiceOds, string serviceCode, string period,
        CancellationToken cancellationToken) =>
        new(submissionId.ToString(), version, practiceOds, await directory.PracticeNameAsync(practiceOds, cancellationToken), serviceCode, period,
            options.Value.Link(options.Value.SubmissionPath, id: submissionId.ToString()));
}
