namespace Platform.Messaging;

/// <summary>
/// An entity that records the events its own state changes raise. When a DbContext configured with UsePlatformOutbox saves,
/// the events of every tracked entity move into the outbox in the order they were recorded, in the same transaction as the
/// change, and the entity's list is emptied. An entity that is not tracked (read with AsNoTracking) saves nothing, events included.
/// </summary>
public interface IHasDomainEvents
{
    DomainEvents DomainEvents { get; }
}
