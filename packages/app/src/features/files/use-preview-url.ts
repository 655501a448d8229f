import { useEffect, useState } from 'react';
import { base64ToBytes } from '../../lib/base64';
import type { ImagePreview } from './make-preview';

/**
 * FILE-03: an object URL (blob:) for a preview's bytes, revoked when the component goes or the
 * preview changes. The page's Content-Security-Policy allows images from 'self' and blob: only,
 * never data: URLs. Null while there is none, or when the bytes are not base64.
 */
export function usePreviewUrl(preview: ImagePreview | null): string | null {
  const mime = preview?.mime ?? null;
  const data = preview?.data ?? null;
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (mime === null || data === null || typeof URL.createObjectURL !== 'function') {
      setUrl(null);
      return;
    }
    let made: string;
    try {
      made = URL.createObjectURL(new Blob([base64ToBytes(data)], { type: mime }));
    } catch {
      setUrl(null);
      return;
    }
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [mime, data]);
  return url;
}
