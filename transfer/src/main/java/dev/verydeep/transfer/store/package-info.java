/** The descriptor store: float32 chunks plus a JSON index and image list, written atomically, resumable, refusing other settings. */
package dev.verydeep.transfer.store;
