namespace Platform.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding Platform.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Platform.sln above {AppContext.BaseDirectory}.");
    }

    public static string Script(string relativePath) => Path.Combine(Find(), "scripts", "local", relativePath);
}
