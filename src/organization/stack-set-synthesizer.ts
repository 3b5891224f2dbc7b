import { DockerImageAssetLocation, DockerImageAssetSource, FileAssetLocation, FileAssetSource, ISynthesisSession, StackSynthesizer } from 'aws-cdk-lib';

/** Where a file or image asset would have gone: nowhere a StackSet can reach. */
const NO_ASSET_BUCKET = 'no-file-assets-in-a-stack-set-template';

/**
 * A stack synthesizer for a template that CloudFormation StackSets deploy to many accounts and Regions.
 *
 * It writes the template and nothing else: no bootstrap version parameter or rule (member accounts are not
 * bootstrapped by CDK), no asset manifest. A StackSet instance cannot reach a CDK file or Docker image asset
 * (those live in the bootstrap bucket and repository of one account and Region), so this synthesizer records every
 * asset added to its stack instead of publishing it, and `MemberStackSet` fails the synthesis while any is
 * recorded, naming it.
 */
export class StackSetStackSynthesizer extends StackSynthesizer {
  private readonly files: FileAssetSource[] = [];
  private readonly images: DockerImageAssetSource[] = [];

  /** The file assets added to the stack (each one makes the template unusable in a StackSet). */
  public get fileAssets(): FileAssetSource[] {
    return [...this.files];
  }

  /** The Docker image assets added to the stack (each one makes the template unusable in a StackSet). */
  public get dockerImageAssets(): DockerImageAssetSource[] {
    return [...this.images];
  }

  /** Record a file asset; the location it returns does not exist. */
  public addFileAsset(asset: FileAssetSource): FileAssetLocation {
    this.files.push(asset);
    const objectKey = `${asset.sourceHash}${asset.packaging === 'zip' ? '.zip' : ''}`;
    return {
      bucketName: NO_ASSET_BUCKET,
      objectKey,
      httpUrl: `https://${NO_ASSET_BUCKET}.s3.amazonaws.com/${objectKey}`,
      s3ObjectUrl: `s3://${NO_ASSET_BUCKET}/${objectKey}`,
    };
  }

  /** Record a Docker image asset; the location it returns does not exist. */
  public addDockerImageAsset(asset: DockerImageAssetSource): DockerImageAssetLocation {
    this.images.push(asset);
    return { repositoryName: NO_ASSET_BUCKET, imageUri: `${NO_ASSET_BUCKET}:${asset.sourceHash}` };
  }

  /** Write the template and the stack artifact. */
  public synthesize(session: ISynthesisSession): void {
    this.synthesizeTemplate(session);
    this.emitArtifact(session);
  }
}
