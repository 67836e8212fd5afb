//! How many renders run at once and how many wait. Rendering is CPU-bound,
//! so a service renders on as many slots as it has workers (one per core
//! by default) and lets a short queue wait for them; a request that finds
//! the queue full gets 503 at once rather than waiting behind everyone,
//! and one that waits past its budget gets 503 too.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The render slots and the queue before them.
pub(crate) struct Gate {
    slots: Arc<Semaphore>,
    workers: usize,
    queue: usize,
    waiting: AtomicUsize,
}

/// Why a request was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Every slot busy and the queue full.
    Saturated,
    /// The budget ran out while waiting.
    TimedOut,
}

/// Render slots held out of service by [`Service::reserve`](super::Service::reserve)
/// until this value is dropped.
#[derive(Debug)]
pub struct Reservation {
    _permit: OwnedSemaphorePermit,
}

/// Counts a waiting request for as long as it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    pub(crate) fn new(workers: usize, queue: usize) -> Gate {
        let workers = workers.max(1);
        Gate { slots: Arc::new(Semaphore::new(workers)), workers, queue, waiting: AtomicUsize::new(0) }
    }

    /// A render slot: at once when one is free, else after waiting in the
    /// queue until `deadline`.
    pub(crate) async fn enter(&self, deadline: Instant) -> Result<OwnedSemaphorePermit, Refusal> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Refusal::Saturated);
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout_at(deadline, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(Refusal::Saturated),
            Err(_) => Err(Refusal::TimedOut),
        }
    }

    /// Hold `slots` slots until the reservation drops, if they are free now.
    pub(crate) fn reserve(&self, slots: u32) -> Option<Reservation> {
        self.slots.clone().try_acquire_many_owned(slots).ok().map(|p| Reservation { _permit: p })
    }

    /// Slots busy (rendering or reserved).
    pub(crate) fn busy(&self) -> usize {
        self.workers - self.slots.available_permits().min(self.workers)
    }

    /// Requests waiting for a slot.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Slots in all.
    pub(crate) fn workers(&self) -> usize {
        self.workers
    }

    /// How many may wait.
    pub(crate) fn queue(&self) -> usize {
        self.queue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_slots_and_the_queue_requests_are_refused() {
        let gate = Gate::new(1, 0);
        let soon = Instant::now() + std::time::Duration::from_secs(5);
        let first = gate.enter(soon).await.unwrap();
        assert_eq!(gate.enter(soon).await.unwrap_err(), Refusal::Saturated);
        assert_eq!(gate.busy(), 1);
        drop(first);
        assert!(gate.enter(soon).await.is_ok());
    }

    #[tokio::test]
    async fn a_waiting_request_gives_up_at_its_deadline() {
        let gate = Gate::new(1, 1);
        let _held = gate.reserve(1).unwrap();
        let now = Instant::now();
        assert_eq!(gate.enter(now).await.unwrap_err(), Refusal::TimedOut);
        assert_eq!(gate.waiting(), 0);
    }
}
