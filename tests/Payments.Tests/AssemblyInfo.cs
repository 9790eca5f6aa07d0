using Platform.Testing;

[assembly: AssemblyFixture(typeof(MessagingServers))]
