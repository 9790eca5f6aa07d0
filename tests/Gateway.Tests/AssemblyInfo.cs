using Gateway.Tests;

[assembly: AssemblyFixture(typeof(GatewayServers))]
