namespace Platform.Messaging;
