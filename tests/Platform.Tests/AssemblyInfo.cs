// One whole platform per test run: every test class in this assembly shares it.
[assembly: AssemblyFixture(typeof(Platform.Tests.PlatformAppFixture))]
