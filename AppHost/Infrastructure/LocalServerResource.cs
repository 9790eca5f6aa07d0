/// <summary>
/// A server started as a local process that is also what services connect to, so one resource
/// (<c>messaging</c>, <c>redis</c>) is both waited for and referenced, as its container counterpart is.
/// </summary>
internal sealed class LocalServerResource(string name, string command, string workingDirectory, ReferenceExpression connectionString)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression { get; } = connectionString;
}
