// One whole platform for the project, started once; every test breaks or probes it in turn (never two at once),
// so a fault case never meets another case's outage and the bad-input state snapshots see only their own requests.
[assembly: AssemblyFixture(typeof(Platform.Resilience.Running.ResiliencePlatform))]
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
