// Attaching streams to <video>/<audio> elements, as the docs' `session.attachMediaStream` does.

export interface MediaElementOptions {
  muted?: boolean;
  mirror?: boolean;
}

function mediaElement(elementId: string): HTMLMediaElement {
  const element = typeof document === 'undefined' ? null : document.getElementById(elementId);
  if (!element || !('srcObject' in element)) throw new Error(`Unable to attach media stream, element #${elementId} is undefined`);
  return element as HTMLMediaElement;
}

export function attachMediaStream(elementId: string, stream: MediaStream, options: MediaElementOptions = {}): void {
  const element = mediaElement(elementId);
  element.srcObject = stream;
  element.style.transform = options.mirror ? 'scaleX(-1)' : 'none';
  if (typeof options.muted === 'boolean') element.muted = options.muted;
  element.onloadedmetadata = () => {
    element.play().catch(() => undefined);
  };
}

export function detachMediaStream(elementId: string, options: MediaElementOptions = {}): void {
  const element = mediaElement(elementId);
  element.pause();
  element.srcObject = null;
  element.style.transform = options.mirror ? 'scaleX(-1)' : 'none';
  if (typeof options.muted === 'boolean') element.muted = options.muted;
}
