import type { ImagePreview } from './make-preview';
import { usePreviewUrl } from './use-preview-url';

/** An image preview (FILE-03) shown from an object URL; nothing until it is ready. */
export function PreviewImage({ preview, alt, className, testId }: { preview: ImagePreview; alt: string; className: string; testId: string }) {
  const url = usePreviewUrl(preview);
  if (url === null) return null;
  return <img data-testid={testId} data-mime={preview.mime} src={url} alt={alt} className={className} />;
}
