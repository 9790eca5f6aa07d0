namespace Platform.Messaging;

/// <summary>The service name given to AddPlatformMessaging (the <c>service</c> tag of the messaging metrics).</summary>
internal sealed record MessagingServiceName(string Value);
